package org.stackledger.testing;

import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyPairGeneratorSpi;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes 2048-bit RSA key pairs cheap in a test JVM: the first {@value #POOL} are made as usual and
 * kept, later requests are answered from them in turn. Every server a test starts makes its token
 * signing key and its bridge key at first start, and a prime search is a seventh of the suite's CPU.
 * The keys are real and each request gets a different key from the one before it (a "stranger" key
 * a test makes right after its server's is never that server's); only a test that made more than
 * {@value #POOL} keys in a row could meet one twice. Other sizes and algorithms are made as usual.
 * Installed as the first security provider in each test JVM by JUnit's extension autodetection.
 */
public final class RecycledRsaKeys implements BeforeAllCallback {
  static final int POOL = 12;

  static {
    if (Security.getProvider(Pool.NAME) == null) {
      Security.insertProviderAt(new Pool(), 1);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // The static initialiser did the work when JUnit made this extension.
  }

  /** The provider: one service, RSA key pair generation. */
  static final class Pool extends Provider {
    static final String NAME = "StackledgerTestRecycledRsa";
    private static final List<KeyPair> KEPT = new ArrayList<>();
    private static int next;

    Pool() {
      super(NAME, "1.0", "2048-bit RSA key pairs recycled in a test JVM");
      put("KeyPairGenerator.RSA", Generator.class.getName());
    }

    static synchronized KeyPair take(KeyPairGenerator fresh) {
      if (KEPT.size() < POOL) {
        KeyPair made = fresh.generateKeyPair();
        KEPT.add(made);
        return made;
      }
      KeyPair kept = KEPT.get(next);
      next = (next + 1) % POOL;
      return kept;
    }
  }

  /** The generator JCA makes for {@code KeyPairGenerator.getInstance("RSA")}. */
  public static final class Generator extends KeyPairGeneratorSpi {
    private final KeyPairGenerator real;
    private int bits = 2048;
    private boolean plainExponent = true;

    public Generator() throws java.security.GeneralSecurityException {
      real = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
    }

    @Override
    public void initialize(int keysize, SecureRandom random) {
      bits = keysize;
      real.initialize(keysize, random);
    }

    @Override
    public void initialize(AlgorithmParameterSpec params, SecureRandom random) throws InvalidAlgorithmParameterException {
      if (params instanceof RSAKeyGenParameterSpec rsa) {
        bits = rsa.getKeysize();
        plainExponent = RSAKeyGenParameterSpec.F4.equals(rsa.getPublicExponent());
      } else {
        plainExponent = false;
      }
      real.initialize(params, random);
    }

    @Override
    public KeyPair generateKeyPair() {
      return bits == 2048 && plainExponent ? Pool.take(real) : real.generateKeyPair();
    }
  }
}
