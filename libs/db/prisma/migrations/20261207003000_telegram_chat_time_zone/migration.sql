-- A Telegram chat's quiet hours and digest windows follow its own time zone (IANA name); existing chats keep UTC.
ALTER TABLE "telegram_chats" ADD COLUMN "time_zone" TEXT NOT NULL DEFAULT 'UTC';
