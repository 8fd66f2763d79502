/**
 * Personal data in events is sealed with a key per account that lives outside the event store; destroying
 * the key erases the data everywhere at once (crypto-shredding), while the events themselves stay intact.
 * The domain only knows the sealed shape and the two functions; the keys and the cipher are I/O elsewhere.
 */
export interface SealedText {
  readonly alg: 'A256GCM';
  /** Base64 of the 12-byte nonce, the ciphertext and the 16-byte authentication tag. */
  readonly iv: string;
  readonly ct: string;
  readonly tag: string;
}

export type Seal = (plaintext: string) => SealedText;
/** The plaintext, or undefined when the key is gone and the data is erased for good. */
export type Open = (sealed: SealedText) => string | undefined;

/** What reads show in place of personal data whose key was destroyed. */
export const ERASED = '[erased]';
