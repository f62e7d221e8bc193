/** A client request id (`[A-Za-z0-9_-]{8,64}`): one per form, so a retry of the same form is idempotent. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export const newRequestId = (): string => {
  let s = Date.now().toString(36);
  for (let i = 0; i < 16; i++) s += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  return s;
};
