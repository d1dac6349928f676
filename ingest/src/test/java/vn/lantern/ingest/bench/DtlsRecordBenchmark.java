package vn.lantern.ingest.bench;

import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.californium.scandium.dtls.cipher.AeadBlockCipher;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a DTLS cipher suite costs per CoAP request: one record decrypted (the request) and one
 * encrypted (the response) with Scandium's AEAD code, AES-CCM in Scandium's own block-by-block
 * implementation, AES-GCM through the JDK's intrinsics. Run with {@code ./lantern bench hotpath
 * DtlsRecordBenchmark -e IngestHotPathBenchmark}; figures in docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DtlsRecordBenchmark {
  /** The record's explicit nonce, written ahead of the ciphertext. */
  private static final int EXPLICIT_NONCE = 8;

  @Param({
    "TLS_PSK_WITH_AES_128_CCM_8",
    "TLS_PSK_WITH_AES_128_GCM_SHA256",
    "TLS_PSK_WITH_AES_256_GCM_SHA378"
  })
  public String suite;

  /** A one-reading Lantern JSON request is about 60 bytes, a six-reading one about 200. */
  @Param({"60", "200"})
  public int plaintextBytes;

  private CipherSuite cipherSuite;
  private SecretKey key;
  private final byte[] nonce = new byte[12];
  // the JDK refuses to encrypt twice with one GCM nonce; DTLS puts the record's sequence number in
  // it
  private final byte[] responseNonce = new byte[12];
  private long sequenceNumber;
  private final byte[] additionalData = new byte[13];
  private byte[] plaintext;
  private byte[] record;

  @Setup
  public void setUp() throws Exception {
    cipherSuite = CipherSuite.getTypeByName(suite);
    key = new SecretKeySpec(new byte[cipherSuite.getEncKeyLength()], "AES");
    plaintext = new byte[plaintextBytes];
    record = AeadBlockCipher.encrypt(cipherSuite, key, nonce, additionalData, plaintext);
  }

  /** One request and its response: a decryption and an encryption. */
  @Benchmark
  public byte[] decryptAndEncrypt() throws Exception {
    byte[] request =
        AeadBlockCipher.decrypt(
            cipherSuite,
            key,
            nonce,
            additionalData,
            record,
            EXPLICIT_NONCE,
            record.length - EXPLICIT_NONCE);
    sequenceNumber++;
    for (int i = 0; i < EXPLICIT_NONCE; i++) {
      responseNonce[responseNonce.length - 1 - i] = (byte) (sequenceNumber >>> (8 * i));
    }
    return AeadBlockCipher.encrypt(cipherSuite, key, responseNonce, additionalData, request);
  }
}
