package org.stackledger.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecycledRsaKeysTest {
  @Test
  void keysMadeOneAfterAnotherDifferAndTheJvmsKeysComeAround() throws Exception {
    Set<java.math.BigInteger> seen = new HashSet<>();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    java.math.BigInteger previous = null;
    for (int i = 0; i < RecycledRsaKeys.POOL * 2; i++) {
      java.math.BigInteger modulus = ((RSAPublicKey) generator.generateKeyPair().getPublic()).getModulus();
      assertThat(modulus).isNotEqualTo(previous);
      assertThat(modulus.bitLength()).isEqualTo(2048);
      seen.add(modulus);
      previous = modulus;
    }
    // Two rounds give back the pool's keys, not new ones: the provider is the one JCA picked.
    assertThat(seen).hasSize(RecycledRsaKeys.POOL);
  }

  @Test
  void nimbusKeysComeFromThePoolAndOtherSizesAreMadeFresh() throws Exception {
    RSAKey a = new RSAKeyGenerator(2048).generate();
    RSAKey b = new RSAKeyGenerator(2048).generate();
    assertThat(a.getModulus()).isNotEqualTo(b.getModulus());
    KeyPairGenerator big = KeyPairGenerator.getInstance("RSA");
    big.initialize(3072);
    KeyPair k = big.generateKeyPair();
    assertThat(((RSAPublicKey) k.getPublic()).getModulus().bitLength()).isEqualTo(3072);
  }
}
