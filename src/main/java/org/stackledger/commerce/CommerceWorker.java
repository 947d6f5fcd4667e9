package org.stackledger.commerce;

import java.time.Clock;
import java.util.function.Function;
import org.stackledger.kafka.GroupMember;
import org.stackledger.kafka.KafkaSettings;
import org.stackledger.problem.Problem;

/**
 * A commerce worker: a member of the consumer group {@code PREFIXcommerce} on the commerce topic, which
 * stores each queued upload as the synchronous upload would ({@link Commerce#ingestAsBridge}, with the
 * usage age judged as of the upload's arrival).
 *
 * <p>Exactly-once effect from at-least-once delivery: the group commits a partition's offset only after
 * the store's transaction for every upload before it committed, so an upload may be stored a second time
 * (a worker died between the two commits, or the group moved the partition), and storing is idempotent —
 * a record already stored under its key with the same quantity changes nothing, and two workers racing
 * on the same keys are serialized by the reported hours' locks ({@code RecordStore.known}).
 *
 * <p>An upload the store refuses for its content (any refusal of the input: 409
 * {@code UsageRecordConflict}, 400 …) is written to {@code commerce_rejected_uploads} and passed over;
 * a failure of the service (the database away: any other exception, or a 503) is tried again from the
 * same upload with a growing pause, never skipped.
 */
public final class CommerceWorker implements AutoCloseable {
  private final GroupMember member;

  private CommerceWorker(GroupMember member) {
    this.member = member;
  }

  /**
   * Starts a worker on its own thread.
   *
   * @param meters the meter catalogue's spelling of a meter id, as the upload route parses with
   * @param name   the worker's thread name
   */
  static CommerceWorker start(KafkaSettings settings, Commerce commerce, RejectedUploads rejected,
      Function<String, String> meters, Clock clock, String name) {
    return new CommerceWorker(GroupMember.start(settings, CommerceQueue.GROUP, CommerceQueue.TOPIC,
        m -> store(m, commerce, rejected, meters, clock), name));
  }

  private static void store(GroupMember.Message m, Commerce commerce, RejectedUploads rejected,
      Function<String, String> meters, Clock clock) {
    QueuedUpload upload;
    try {
      upload = QueuedUpload.decode(m.value());
    } catch (IllegalArgumentException e) {
      // Not ours (another program on the topic, a damaged value): nothing to store, ever.
      rejected.record(new RejectedUploads.Rejection("offset-" + m.partition() + "-" + m.offset(), "", "", 0, "",
          "UnreadableUpload", e.getMessage(), clock.instant(), clock.instant()));
      return;
    }
    try {
      commerce.ingestQueued(upload.reporter(), UsageReport.parse(upload.body(), meters), upload.source(),
          upload.receivedAt());
    } catch (Problem p) {
      if (isTransient(p)) {
        throw p;
      }
      rejected.record(new RejectedUploads.Rejection(upload.uploadId(), upload.reporter().registrationId(),
          upload.batchId(), upload.records(), upload.source(), p.code(), p.getMessage(), upload.receivedAt(),
          clock.instant()));
    }
  }

  /** A refusal that says "later", not "never": the same upload may be stored once the service is back. */
  private static boolean isTransient(Problem p) {
    return switch (p.kind()) {
      case UNAVAILABLE, THROTTLED, UPSTREAM_FAILED -> true;
      default -> false;
    };
  }

  /** The partitions of the commerce topic this worker holds now. */
  public java.util.Set<Integer> partitions() {
    return member.partitions();
  }

  /** Stops the worker after the upload in hand; what it stored is committed, and it leaves the group. */
  @Override
  public void close() {
    member.close();
  }

  /** Stops the worker as a killed process would: nothing committed since the last poll, the group not told. */
  void halt() {
    member.halt();
  }
}
