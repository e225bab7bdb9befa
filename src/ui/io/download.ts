// Saving to the user's disk through blob: links: files are made here and never leave the browser.

/** Downloads bytes or text under `name`. */
export function downloadFile(params: { name: string; data: Uint8Array | string | Blob; type?: string }): void {
  const { name, data } = params;
  const type = params.type ?? (typeof data === 'string' ? 'text/plain' : 'application/octet-stream');
  const blob = data instanceof Blob ? data : new Blob([data as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Several files, one after another (browsers drop downloads started in the same tick). */
export async function downloadFiles(files: { name: string; data: Uint8Array | string; type?: string }[]): Promise<void> {
  for (const f of files) {
    downloadFile(f);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** A file name stem: letters, digits, dots, dashes and underscores. */
export function safeStem(s: string): string {
  return (
    s
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'export'
  );
}
