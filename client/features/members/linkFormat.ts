/** Showing and copying the one-time links a coordinator hands on (invitations, password resets). */

/** A link from the server (a path) as the full address to send someone. */
export const absolute = (url: string) => new URL(url, window.location.origin).href;

/** Copies text to the clipboard, falling back to selecting the input `inputId` and the old copy command. */
export async function copyText(text: string, inputId: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const input = document.getElementById(inputId) as HTMLInputElement | null;
    input?.select();
    return document.execCommand?.('copy') ?? false;
  }
}
