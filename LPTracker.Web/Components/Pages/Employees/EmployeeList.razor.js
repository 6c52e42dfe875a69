// The viewer's IANA time zone, so "last login" and SIP "since" show the viewer's local time.
export function timeZone() {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || null; } catch { return null; }
}
