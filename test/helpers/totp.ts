// The one TOTP implementation (RFC 6238), re-exported for tests and the console's browser tests.
export {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  matchTotpStep,
  totpCode,
  totpUri,
} from '../../shared/identity/totp.js';
