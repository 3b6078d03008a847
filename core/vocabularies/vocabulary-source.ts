/**
 * Where word-list files come from. `read` resolves to the file's text, or `undefined` when the file does not
 * exist; any other failure (unreachable server, 5xx, permission denied) rejects, so callers never cache it.
 */
export interface VocabularySource {
  /** Human-readable origin for logs and health output, e.g. `directory /srv/words` or `http https://…/`. */
  readonly description: string;
  read(path: string): Promise<string | undefined>;
}

const SEGMENT = /^[a-z0-9][a-z0-9-]*$/;

/** Paths are built from enumerations, but a source must never be talked into leaving its root. */
export function assertSafeRelativePath(path: string): void {
  const segments = path.split('/');
  const fileName = segments.pop() ?? '';
  const valid = segments.every((segment) => SEGMENT.test(segment)) && /^[a-z0-9-]+\.txt$/.test(fileName);
  if (!valid) throw new Error(`Invalid vocabulary path: ${path}`);
}
