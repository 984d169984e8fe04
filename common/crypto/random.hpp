// Where OpenSSL's random numbers come from in qauth programs.
#pragma once

namespace qauth::crypto {

/// Routes OpenSSL's legacy RAND interface (RSA blinding, RSA key generation)
/// to the kernel CSPRNG through libsodium's randombytes_buf (getrandom(2)),
/// instead of OpenSSL 3's provider DRBG. The DRBG is itself seeded from the
/// kernel; its first use costs about 6.7 million instructions of provider
/// set-up (callgrind, one RSA-2048 signature), several times the hashing of
/// a typical message. Process-wide and idempotent. The RSA key code calls it
/// before every private-key operation, so callers need not; if libsodium
/// cannot initialise, OpenSSL's own DRBG stays in place.
void use_system_random();

}  // namespace qauth::crypto
