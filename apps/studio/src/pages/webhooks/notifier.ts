/** The notifier registered under this key (`NOTIFIER_APP_KEY`), reached through the provider as /api/notifiers/<key>/... */
export const APP_KEY = 'notifier';
