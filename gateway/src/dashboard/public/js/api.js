// JSON from the gateway. Every call has a timeout so a hung gateway shows as an error
// instead of a page that silently stops updating.
export async function getJson(path, timeoutMs = 8000) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  try {
    const res = await fetch(path, { signal: ctl.signal, cache: "no-store" });
    if (!res.ok) throw new Error(path + ": HTTP " + res.status);
    return await res.json();
  } finally {
    clearTimeout(timer);
  }
}
