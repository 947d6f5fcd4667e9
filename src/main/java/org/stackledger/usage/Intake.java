package org.stackledger.usage;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import org.stackledger.problem.Problem;
import org.stackledger.store.OutOfSpace;

/**
 * The deployment's usage intake: checks a batch ({@link EventRules}), drops events it already holds,
 * stamps the reported time and appends the rest to the {@link UsageLog} before answering.
 *
 * <p>Checking, encoding and compressing run in the caller's thread, in parallel. The idempotency
 * check, the stamp and the append run under one lock, for two reasons: two batches carrying the same
 * new eventId must not both be counted, and a reported hour is closed only when no batch stamped in
 * it can still be on its way to the log ({@link #watermark}). One thread, the committer, holds the
 * lock for one transaction at a time, which carries every batch that arrived while the previous one
 * committed (group commit).
 *
 * <p>The idempotency index is this process's memory, and holds the {@link IdempotencyWindow} — the
 * events a retry could still be accepted for — not the history. Where several intake nodes append to
 * one log (the usage log on Kafka), each decides under a lock they share, after the log has handed it
 * the keys the others appended ({@link UsageLog#appendDeciding}).
 */
public final class Intake implements UsageIntake {
  private static final int KEY_BYTES = 24;

  private final EventRules rules;
  private final UsageLog log;
  private final Clock clock;
  private final java.util.function.Supplier<java.time.Duration> maxUsageAge;
  /**
   * The widest maxUsageAge a batch was checked against since the last commit: the window must still
   * hold what such a batch may repeat, even if the operator narrowed the setting meanwhile.
   */
  private final java.util.concurrent.atomic.AtomicReference<java.time.Duration> widestAsked =
      new java.util.concurrent.atomic.AtomicReference<>(java.time.Duration.ZERO);
  private final long seed;
  private final ReentrantLock lock = new ReentrantLock();
  /** Encoding buffers between batches; one batch of the largest kind stays, anything bigger goes. */
  private static final java.util.concurrent.ConcurrentLinkedQueue<EventCodec.Buffer> BUFFERS =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private static final int MAX_POOLED_BUFFER = 8 << 20;
  /** Where batches look their subscriptions up while their threads encode them (see {@link #accept}). */
  private static final java.util.concurrent.ExecutorService LOOKUPS =
      java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "usage-subscription-lookup");
        t.setDaemon(true);
        return t;
      });
  /** Checked batches waiting for the committer, in arrival order (see {@link #ensureCommitter}). */
  private final java.util.concurrent.LinkedBlockingQueue<Pending> waiting =
      new java.util.concurrent.LinkedBlockingQueue<>();
  /** Whether a committer thread is running (see {@link #ensureCommitter}). */
  private final java.util.concurrent.atomic.AtomicBoolean committing = new java.util.concurrent.atomic.AtomicBoolean();
  private final CompletableFuture<Loaded> index;

  /** The index and the log's last sequence, as read at start; both change only under the lock. */
  private static final class Loaded {
    final IdempotencyWindow index;
    long sequence;

    Loaded(IdempotencyWindow index, long sequence) {
      this.index = index;
      this.sequence = sequence;
    }
  }

  private Intake(MeterLookup meters, UsageSubscriptions subscriptions, UsageLog log, Clock clock, long seed,
      java.util.function.Supplier<java.time.Duration> maxUsageAge, CompletableFuture<Loaded> index) {
    this.rules = new EventRules(meters, subscriptions, clock, () -> {
      java.time.Duration d = maxUsageAge.get();
      widestAsked.accumulateAndGet(d, (a, b) -> a.compareTo(b) >= 0 ? a : b);
      return d;
    });
    this.log = log;
    this.clock = clock;
    this.seed = seed;
    this.maxUsageAge = maxUsageAge;
    this.index = index;
  }

  /**
   * Opens the intake over a log. The idempotency index is read back from the log in the background,
   * for the window of usage the intake can still take only; the first batch waits for it.
   *
   * @param seed the deployment's fingerprint seed, chosen once at random and kept
   * @param maxUsageAge how old a usage window the intake still takes
   */
  public static Intake open(UsageLog log, MeterLookup meters, UsageSubscriptions subscriptions, Clock clock,
      long seed, java.util.function.Supplier<java.time.Duration> maxUsageAge) {
    CompletableFuture<Loaded> index = new CompletableFuture<>();
    Intake intake = new Intake(meters, subscriptions, log, clock, seed, maxUsageAge, index);
    Thread loader = new Thread(() -> {
      try {
        long last = log.lastSequence();
        index.complete(new Loaded(IdempotencyWindow.load(log, clock.instant(), maxUsageAge.get()), last));
      } catch (RuntimeException | Error e) {
        index.completeExceptionally(e);
      }
    }, "usage-index-load");
    loader.setDaemon(true);
    loader.start();
    return intake;
  }

  @Override
  public Receipt accept(List<UsageEvent> batch) {
    if (batch.isEmpty()) {
      throw Problem.invalid("EmptyBatch", "events", "The batch holds no usage events.");
    }
    EventRules.Checked checked = rules.checkEvents(batch, false);
    if (!checked.clean()) {
      checked.finish(rules.states(checked));
    }
    // The subscriptions' states are a round trip to the database: the batch is encoded meanwhile, and
    // refused after all if one of them is unknown or deleted.
    CompletableFuture<java.util.Map<String, String>> states =
        CompletableFuture.supplyAsync(() -> rules.states(checked), LOOKUPS);
    List<UsageEvent> events = checked.events;
    int n = events.size();
    // An encoding buffer from the pool: a batch's events are a few hundred kilobytes, and a fresh
    // array for each of hundreds of batches a second is most of the intake's garbage. The batch
    // holds it until accept returns, by when it is committed or refused.
    EventCodec.Buffer pooled = BUFFERS.poll();
    EventCodec.Buffer encoded = pooled != null ? pooled : new EventCodec.Buffer(n * 400);
    encoded.reset();
    try {
      return accept(events, encoded, () -> checked.finish(joined(states)));
    } finally {
      if (encoded.bytes.length <= MAX_POOLED_BUFFER) {
        BUFFERS.offer(encoded);
      }
    }
  }

  /** The future's value, or the failure it completed with, as thrown where it happened. */
  private static <T> T joined(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** @param finishChecks refuses the batch (throws) on what the subscriptions' states show */
  private Receipt accept(List<UsageEvent> events, EventCodec.Buffer encoded, Runnable finishChecks) {
    int n = events.size();
    long[] keys = keys(events, encoded);
    // Repeats within the batch are found before taking the lock: the batch is this thread's alone.
    long[] earlier = new long[n];
    if (n > 1) {
      DedupIndex inBatch = new DedupIndex(n);
      for (int i = 0; i < n; i++) {
        earlier[i] = inBatch.find(keys[i * 3], keys[i * 3 + 1]);
        if (earlier[i] == DedupIndex.ABSENT) {
          inBatch.add(keys[i * 3], keys[i * 3 + 1], keys[i * 3 + 2]);
        }
      }
    }
    boolean repeats = false;
    for (long e : earlier) {
      repeats |= n > 1 && e != DedupIndex.ABSENT;
    }
    // The stored form is made outside the lock, where the threads of concurrent batches work side by
    // side, a part for each partition of the log the batch's subscriptions are in; a batch with
    // duplicates (rare) is made again under the lock without them.
    List<Part> parts = parts(events, keys, earlier);
    finishChecks.run();
    // A log that keeps events apart (Kafka) takes them now, in this thread, beside other batches: the
    // decision under the lock then only names them. Not for a batch that repeats an eventId, whose
    // stored events are made again without the repeats.
    if (!repeats) {
      for (Part part : parts) {
        part.staged = log.stage(part.partition, firstIdentity(part.keys), part.sealed);
      }
      // And their acknowledgement awaited here, in this thread, beside the other batches' threads: awaited
      // by the group's leader it was a wait for the replicas every group paid one after another, under the
      // lock, on top of the decision's transaction.
      awaitStaged(parts);
    }
    Pending mine = new Pending(events, parts, new CompletableFuture<>());
    Loaded state = loaded();
    waiting.add(mine);
    ensureCommitter(state);
    return joined(mine.done);
  }

  /**
   * Group commit: one thread, the committer, takes every batch waiting and commits them in one
   * transaction, again and again; the batches' own threads wait for their answers only. On
   * PostgreSQL a commit waits for the disk, so concurrent batches share that wait instead of queueing
   * for it. (When each batch's thread took the lock itself, a batch another thread had committed still
   * waited for the lock to learn so — behind the next group's whole transaction — which doubled every
   * answer's wait and left a core idle.) The committer leaves after a second without batches; the next
   * batch starts another.
   */
  private void ensureCommitter(Loaded state) {
    if (!committing.get() && committing.compareAndSet(false, true)) {
      Thread committer = new Thread(() -> commitWhileBatchesCome(state), "usage-group-commit");
      committer.setDaemon(true);
      committer.start();
    }
  }

  private void commitWhileBatchesCome(Loaded state) {
    while (true) {
      Pending first;
      try {
        first = waiting.poll(1, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        first = null;
      }
      if (first == null) {
        committing.set(false);
        // A batch that came after the poll gave up, and found the flag still set, has no committer but
        // this one.
        if (waiting.isEmpty() || !committing.compareAndSet(false, true)) {
          return;
        }
        continue;
      }
      List<Pending> group = new ArrayList<>();
      group.add(first);
      waiting.drainTo(group);
      lock.lock();
      try {
        commit(group, state);
      } catch (RuntimeException | Error e) {
        // Nobody may wait forever on a batch of a group that failed; the committer goes on.
        group.forEach(p -> p.done().completeExceptionally(e));
      } finally {
        lock.unlock();
      }
    }
  }

  /** A checked, encoded batch waiting for the lock, in its parts, and where its answer goes. */
  private record Pending(List<UsageEvent> events, List<Part> parts, CompletableFuture<Receipt> done) {}

  /**
   * The events of a batch that go to one partition of the log, in the batch's order: their positions
   * in the batch ({@code index}; null for the whole batch), keys (three longs an event), the content of
   * an earlier event of the batch with the same eventId ({@code earlier}), their stored form, and where
   * it is staged.
   */
  private static final class Part {
    final int partition;
    final int[] index;
    final List<UsageEvent> events;
    final long[] keys;
    final long[] earlier;
    final byte[] sealed;
    UsageLog.Staged staged;

    Part(int partition, int[] index, List<UsageEvent> events, long[] keys, long[] earlier) {
      this.partition = partition;
      this.index = index;
      this.events = events;
      this.keys = keys;
      this.earlier = earlier;
      this.sealed = EventCodec.compact(events, null);
    }

    /** The event's position in its batch, as a refusal names it. */
    int position(int i) {
      return index == null ? i : index[i];
    }
  }

  /**
   * Splits a batch by the partition of each event's subscription; a batch of one partition (every batch
   * of a log in one partition) is one part without copying.
   */
  private List<Part> parts(List<UsageEvent> events, long[] keys, long[] earlier) {
    int partitions = log.partitions();
    int n = events.size();
    int[] of = new int[n];
    boolean one = true;
    for (int i = 0; i < n; i++) {
      // Checked events spell their subscription in lower case (EventRules).
      of[i] = UsageLog.partitionOfLowerCase(events.get(i).subscriptionId(), partitions);
      one &= of[i] == of[0];
    }
    if (one) {
      return List.of(new Part(of[0], null, events, keys, earlier));
    }
    java.util.TreeMap<Integer, List<Integer>> byPartition = new java.util.TreeMap<>();
    for (int i = 0; i < n; i++) {
      byPartition.computeIfAbsent(of[i], k -> new ArrayList<>()).add(i);
    }
    List<Part> parts = new ArrayList<>(byPartition.size());
    byPartition.forEach((partition, positions) -> {
      int m = positions.size();
      int[] index = new int[m];
      List<UsageEvent> mine = new ArrayList<>(m);
      long[] k = new long[m * 3];
      long[] e = new long[m];
      for (int j = 0; j < m; j++) {
        int i = positions.get(j);
        index[j] = i;
        mine.add(events.get(i));
        System.arraycopy(keys, i * 3, k, j * 3, 3);
        e[j] = earlier[i];
      }
      parts.add(new Part(partition, index, mine, k, e));
    });
    return parts;
  }

  /**
   * What one batch of a group comes to, decided under the lock: which events of each part are fresh,
   * the counts, and the log's batch it appends (of the parts with fresh events).
   */
  private record Decision(Pending pending, boolean[][] fresh, int accepted, int duplicates, UsageLog.Batch batch) {}

  /**
   * Decides every batch of the group in arrival order — against the index, the batches before it in
   * the group, and itself — then appends the accepted ones in one transaction and answers each.
   * A batch with a conflicting eventId is refused alone; the others go on.
   */
  private void commit(List<Pending> taken, Loaded state) {
    List<Pending> group = staged(taken);
    if (group.isEmpty()) {
      return;
    }
    IdempotencyWindow seen = state.index;
    java.time.Duration asked = widestAsked.getAndSet(java.time.Duration.ZERO);
    java.time.Duration current = maxUsageAge.get();
    java.time.Duration window = asked.compareTo(current) > 0 ? asked : current;
    List<Decision> decisions = new ArrayList<>();
    Instant[] stamped = new Instant[1];
    try {
      // A log several intake nodes append to runs this under a lock they share, after telling it what
      // the others appended since this node last looked; a log with one writer runs it directly.
      log.appendDeciding(state.sequence, catchup -> {
        // Another node's clock may be a little ahead and have called this node's current hour closed:
        // then this batch is stamped at the start of the hour still open, never into a closed one.
        Instant now = clock.instant();
        Instant reported = now.isBefore(catchup.notBefore()) ? catchup.notBefore() : now;
        stamped[0] = reported;
        seen.cover(reported, window);
        for (UsageLog.Batch other : catchup.others()) {
          seen.addKeys(other.reportedAt(), other.keys());
        }
        state.sequence = catchup.lastSequence();
        decisions.clear();
        decide(group, seen, reported, state.sequence, decisions);
        return decisions.stream().map(Decision::batch).toList();
      });
    } catch (RuntimeException failed) {
      // A full disk gets the store's own answer, and a log that did not take the batch its own, each
      // with a Retry-After, so a client backs off.
      Problem unavailable = OutOfSpace.causedBy(failed) ? OutOfSpace.problem()
          : failed instanceof Problem.Unavailable own ? own
          : Problem.unavailable("ServiceUnavailable", "The usage store did not take the "
          + "batch; nothing was recorded. Send it again.", null);
      if (decisions.isEmpty()) {
        // Failed before anything was decided (a shared log's lock, say): nothing recorded.
        throw unavailable;
      }
      // A commit can succeed and its answer still be lost with the connection: ask the log.
      if (!log.holds(last(decisions))) {
        decisions.forEach(d -> d.pending().done().completeExceptionally(unavailable));
        return;
      }
    }
    if (decisions.isEmpty()) {
      return;
    }
    state.sequence = last(decisions).sequence();
    Instant reported = stamped[0];
    for (Decision d : decisions) {
      // A fresh event is in neither the window, the group before it nor its batch before it (decided
      // above, under this lock): added without looking again — a probe of a table of millions is a
      // cache miss, and this loop holds the lock every other batch waits on.
      List<Part> parts = d.pending().parts();
      for (int k = 0; k < parts.size(); k++) {
        long[] keys = parts.get(k).keys;
        boolean[] fresh = d.fresh()[k];
        for (int i = 0; i < fresh.length; i++) {
          if (fresh[i]) {
            seen.add(reported, keys[i * 3], keys[i * 3 + 1], keys[i * 3 + 2]);
          }
        }
      }
      d.pending().done().complete(new Receipt(d.accepted(), d.duplicates(), reported));
    }
  }

  /**
   * The batches of the group whose staged events the log took: each batch's thread awaited them before
   * it joined the group ({@link #awaitStaged}), so this only reads the answers, before the decision, so
   * that a log shared by several nodes is never held while a cluster acknowledges. A batch whose events
   * were not taken is refused alone (503, nothing of it recorded); the others go on.
   */
  private static List<Pending> staged(List<Pending> group) {
    List<Pending> ready = new ArrayList<>(group.size());
    for (Pending p : group) {
      try {
        for (Part part : p.parts()) {
          if (part.staged != null) {
            part.staged.position();
          }
        }
        ready.add(p);
      } catch (RuntimeException notTaken) {
        p.done().completeExceptionally(notTaken instanceof Problem ? notTaken : notStaged());
      }
    }
    return ready;
  }

  /** Waits for the log to hold the staged parts; refuses the batch (503, nothing recorded) if it does not. */
  private static void awaitStaged(List<Part> parts) {
    try {
      for (Part part : parts) {
        if (part.staged != null) {
          part.staged.position();
        }
      }
    } catch (RuntimeException notTaken) {
      throw notTaken instanceof Problem p ? p : notStaged();
    }
  }

  private static Problem notStaged() {
    return Problem.unavailable("ServiceUnavailable", "The usage store did not take the batch; nothing was recorded. "
        + "Send it again.", null);
  }

  /** The last batch the decisions append (every decision appends one). */
  private static UsageLog.Batch last(List<Decision> decisions) {
    return decisions.get(decisions.size() - 1).batch();
  }

  /**
   * Decides every batch of the group in arrival order — against the index, the batches before it in
   * the group, and itself — into {@code decisions} (sequences after {@code sequence}); answers at once
   * the batches refused for a conflicting eventId and those that hold only duplicates.
   */
  private static void decide(List<Pending> group, IdempotencyWindow seen, Instant reported, long sequence,
      List<Decision> decisions) {
    DedupIndex inGroup = group.size() > 1 ? new DedupIndex(group.size() * 1000) : null;
    for (Pending p : group) {
      List<Part> parts = p.parts();
      boolean[][] fresh = new boolean[parts.size()][];
      int[] partDuplicates = new int[parts.size()];
      int duplicates = 0;
      List<Problem> conflicts = new ArrayList<>();
      for (int k = 0; k < parts.size(); k++) {
        Part part = parts.get(k);
        long[] keys = part.keys;
        int n = part.events.size();
        fresh[k] = new boolean[n];
        for (int i = 0; i < n; i++) {
          long content = keys[i * 3 + 2];
          // The window keeps a tag of the content, the group and the batch the whole fingerprint.
          long known = seen.find(keys[i * 3], keys[i * 3 + 1]);
          long same = IdempotencyWindow.tag(content);
          if (known == DedupIndex.ABSENT) {
            same = content;
            if (inGroup != null) {
              known = inGroup.find(keys[i * 3], keys[i * 3 + 1]);
            }
            if (known == DedupIndex.ABSENT) {
              known = part.earlier[i];
            }
          }
          if (known == DedupIndex.ABSENT) {
            fresh[k][i] = true;
          } else if (known == same) {
            partDuplicates[k]++;
          } else if (conflicts.size() < EventRules.MAX_PROBLEMS) {
            int at = part.position(i);
            conflicts.add(Problem.conflict("EventIdConflict", "events[" + at + "].eventId", "events[" + at
                + "].eventId: the eventId '" + part.events.get(i).eventId() + "' was already reported with other "
                + "content; an eventId names one usage record forever."));
          }
        }
        duplicates += partDuplicates[k];
      }
      if (!conflicts.isEmpty()) {
        p.done().completeExceptionally(EventRules.refusal(conflicts));
        continue;
      }
      int accepted = p.events().size() - duplicates;
      if (accepted == 0) {
        p.done().complete(new Receipt(0, duplicates, null));
        continue;
      }
      List<UsageLog.Part> stored = new ArrayList<>(parts.size());
      java.io.ByteArrayOutputStream keys = new java.io.ByteArrayOutputStream(accepted * KEY_BYTES);
      for (int k = 0; k < parts.size(); k++) {
        Part part = parts.get(k);
        int fresher = part.events.size() - partDuplicates[k];
        if (inGroup != null) {
          for (int i = 0; i < fresh[k].length; i++) {
            if (fresh[k][i] && part.earlier[i] == DedupIndex.ABSENT) {
              inGroup.add(part.keys[i * 3], part.keys[i * 3 + 1], part.keys[i * 3 + 2]);
            }
          }
        }
        if (fresher == 0) {
          continue;
        }
        // Events staged whole are named as they are; a part with duplicates stores its fresh events only.
        stored.add(new UsageLog.Part(part.partition, fresher, payload(part, fresh[k], partDuplicates[k]),
            partDuplicates[k] == 0 ? part.staged : null));
        keys.writeBytes(keyBytes(part.keys, fresh[k], fresher));
      }
      sequence++;
      // One batch, one row, whatever the partitions its events go to: a row costs the log's database more
      // than the bytes in it.
      UsageLog.Part only = stored.size() == 1 ? stored.get(0) : null;
      UsageLog.Batch batch = only != null
          ? new UsageLog.Batch(sequence, reported, accepted, only.events(), keys.toByteArray(), only.staged(),
              only.partition())
          : UsageLog.Batch.of(sequence, reported, keys.toByteArray(), stored);
      decisions.add(new Decision(p, fresh, accepted, duplicates, batch));
    }
  }

  /** The part's stored events: all of them, made already, or the fresh ones made again. */
  private static byte[] payload(Part part, boolean[] fresh, int duplicates) {
    return duplicates == 0 ? part.sealed : EventCodec.compact(part.events, fresh);
  }

  /** The fresh events' keys, 24 bytes each, in stored order. */
  private static byte[] keyBytes(long[] keys, boolean[] fresh, int accepted) {
    byte[] out = new byte[accepted * KEY_BYTES];
    int k = 0;
    for (int i = 0; i < fresh.length; i++) {
      if (fresh[i]) {
        for (int j = 0; j < 3; j++) {
          putLong(out, (k * 3 + j) * 8, keys[i * 3 + j]);
        }
        k++;
      }
    }
    return out;
  }

  /**
   * The first event's identity fingerprint, 16 bytes as {@link #keyBytes(long[], boolean[], int)} begins
   * with it: what staged events are kept under.
   */
  private static byte[] firstIdentity(long[] keys) {
    byte[] out = new byte[16];
    putLong(out, 0, keys[0]);
    putLong(out, 8, keys[1]);
    return out;
  }

  /** Each event's id fingerprint (two longs) and content fingerprint, encoding the events into {@code encoded}. */
  private long[] keys(List<UsageEvent> events, EventCodec.Buffer encoded) {
    int n = events.size();
    long[] keys = new long[n * 3];
    long[] hash = new long[2];
    for (int i = 0; i < n; i++) {
      int start = encoded.length;
      int idEnd = EventCodec.write(encoded, events.get(i));
      int end = encoded.length;
      Fingerprint.hash128(encoded.bytes, start + 1, idEnd, seed, hash);
      keys[i * 3] = hash[0];
      keys[i * 3 + 1] = hash[1];
      Fingerprint.hash128(encoded.bytes, start, end, ~seed, hash);
      keys[i * 3 + 2] = DedupIndex.nonZero(hash[0]);
    }
    if (encoded.control) {
      // The encoder saw a control character in an id, URI or location (checkEvents left them to it):
      // the full check lists it with every other problem of the batch, and refuses it.
      rules.check(events);
    }
    return keys;
  }

  /**
   * How many of these events the deployment already holds with the same content; stores nothing. A
   * caller that replays past usage asks first, so that it never adds a new event to a reported hour
   * that may already be closed.
   */
  public int held(List<UsageEvent> batch) {
    List<UsageEvent> events = rules.check(batch);
    long[] keys = keys(events, new EventCodec.Buffer(events.size() * 256));
    IdempotencyWindow seen = loaded().index;
    int held = 0;
    lock.lock();
    try {
      // The operator may have widened the window since the last batch: what it covers is read first.
      java.time.Duration asked = widestAsked.get();
      java.time.Duration current = maxUsageAge.get();
      seen.cover(clock.instant(), asked.compareTo(current) > 0 ? asked : current);
      for (int i = 0; i < events.size(); i++) {
        if (seen.find(keys[i * 3], keys[i * 3 + 1]) == IdempotencyWindow.tag(keys[i * 3 + 2])) {
          held++;
        }
      }
    } finally {
      lock.unlock();
    }
    return held;
  }

  /**
   * This intake's {@link Watermark}: the clock's hour, once every batch stamped before it is in the
   * log. The clock is read first and the lock passed after, so a batch stamped before that reading
   * is already in the log, and any batch stamped later carries a reported time in the current hour
   * or after — on another node of a shared log too, whose clock may be behind this one's: the log
   * keeps the hour, and the other node stamps no earlier ({@link UsageLog#awaitWriters}).
   */
  public Watermark watermark() {
    return () -> {
      Instant hour = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
      lock.lock();
      lock.unlock();
      // The other intake nodes of a shared log stamp their batches under its lock too, and from now on
      // none before this hour, however far behind its clock is.
      log.awaitWriters(hour);
      return hour;
    };
  }

  /**
   * How many distinct events the deployment holds: the log's count, since the idempotency index holds
   * the window's only. Waits for the index to load and for a commit in flight.
   */
  public int distinctEvents() {
    loaded();
    lock.lock();
    try {
      return (int) Math.min(Integer.MAX_VALUE, log.eventCount());
    } finally {
      lock.unlock();
    }
  }

  /**
   * The events the idempotency index holds in memory now (the window's, not the history's); waits
   * for the index to be read back at start.
   */
  public long eventsInMemory() {
    Loaded state = loaded();
    lock.lock();
    try {
      return state.index.size();
    } finally {
      lock.unlock();
    }
  }

  private Loaded loaded() {
    try {
      return index.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Problem.unavailable("ServiceUnavailable", "The usage intake is starting; try again.", null);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the usage idempotency index could not be loaded", e.getCause());
    }
  }

  private static void putLong(byte[] b, int at, long v) {
    for (int i = 0; i < 8; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }
}
