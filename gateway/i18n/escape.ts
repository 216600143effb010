/** Escapes text for HTML element content and attribute values: the tables' HTML form (messages.ts) and every status page. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
