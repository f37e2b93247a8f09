/**
 * The plan's public address as people will type or print it: this Accord's own origin, since the
 * public pages are served by the same server as the app, without an account.
 */
export const publicPath = (slug: string) => `/p/${slug}`;

export const publicUrl = (slug: string) => `${window.location.origin}${publicPath(slug)}`;
