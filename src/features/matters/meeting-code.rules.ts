/**
 * The text of a council meeting's attendance QR code (pure; client only): the meeting id and its secret,
 * so a resident's scan can call attendMeeting. Ids and tokens never contain ':' (hex and base64url).
 */
const PREFIX = 'shishi-meeting:';

export const meetingCode = (id: string, token: string): string => `${PREFIX}${id}:${token}`;

/** The {id, token} a scanned or typed code names, or null when it is not a meeting code. */
export function parseMeetingCode(text: string): { id: string; token: string } | null {
  const t = text.trim();
  if (!t.startsWith(PREFIX)) return null;
  const [id, token, ...rest] = t.slice(PREFIX.length).split(':');
  if (!id || !token || rest.length > 0) return null;
  return { id, token };
}
