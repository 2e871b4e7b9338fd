/**
 * RFC 9110 tokens (§5.6.2 tchar): what header names and methods must be.
 *
 * @module
 */

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Whether `text` is a non-empty RFC 9110 token. */
export function isHttpToken(text: string): boolean {
  return TOKEN.test(text);
}
