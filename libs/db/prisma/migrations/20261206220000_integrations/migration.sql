-- CreateTable
CREATE TABLE "webhook_subscriptions" (
    "id" TEXT NOT NULL,
    "app_key" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "events" JSONB NOT NULL,
    "symbols" JSONB NOT NULL,
    "secret" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "description" TEXT,
    "paused_reason" TEXT,
    "consecutive_failures" INTEGER NOT NULL,
    "created_at" BIGINT NOT NULL,
    "updated_at" BIGINT NOT NULL,

    CONSTRAINT "webhook_subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "seq" BIGSERIAL NOT NULL,
    "id" TEXT NOT NULL,
    "subscription_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_name" TEXT NOT NULL,
    "envelope" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "response_code" INTEGER,
    "latency_ms" INTEGER,
    "last_error" TEXT,
    "next_attempt_at" BIGINT NOT NULL,
    "created_at" BIGINT NOT NULL,
    "delivered_at" BIGINT,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "telegram_chats" (
    "chat_id" TEXT NOT NULL,
    "app_key" TEXT NOT NULL,
    "title" TEXT,
    "language" TEXT NOT NULL,
    "events" JSONB NOT NULL,
    "symbols" JSONB NOT NULL,
    "quiet_from" INTEGER,
    "quiet_to" INTEGER,
    "digest_minutes" INTEGER,
    "authorised" BOOLEAN NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "created_at" BIGINT NOT NULL,
    "updated_at" BIGINT NOT NULL,

    CONSTRAINT "telegram_chats_pkey" PRIMARY KEY ("chat_id")
);

-- CreateTable
CREATE TABLE "telegram_messages" (
    "seq" BIGSERIAL NOT NULL,
    "chat_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_name" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "last_error" TEXT,
    "next_attempt_at" BIGINT NOT NULL,
    "created_at" BIGINT NOT NULL,
    "sent_at" BIGINT,

    CONSTRAINT "telegram_messages_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "inbound_hooks" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "symbol_map" JSONB NOT NULL,
    "connector_type" TEXT NOT NULL,
    "market_type" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "rate_per_minute" INTEGER NOT NULL,
    "dedup_window_ms" INTEGER NOT NULL,
    "replay_window_ms" INTEGER NOT NULL,
    "created_at" BIGINT NOT NULL,
    "updated_at" BIGINT NOT NULL,

    CONSTRAINT "inbound_hooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inbound_hook_alerts" (
    "id" BIGSERIAL NOT NULL,
    "hook_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "code" TEXT,
    "reason" TEXT,
    "dedup_key" TEXT,
    "signal_id" TEXT,
    "correlation_id" TEXT,
    "body" TEXT NOT NULL,
    "received_at" BIGINT NOT NULL,

    CONSTRAINT "inbound_hook_alerts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "webhook_subscriptions_app_key_idx" ON "webhook_subscriptions"("app_key");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_deliveries_id_key" ON "webhook_deliveries"("id");

-- CreateIndex
CREATE INDEX "webhook_deliveries_subscription_id_status_seq_idx" ON "webhook_deliveries"("subscription_id", "status", "seq");

-- CreateIndex
CREATE INDEX "webhook_deliveries_status_next_attempt_at_idx" ON "webhook_deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_deliveries_subscription_id_event_id_key" ON "webhook_deliveries"("subscription_id", "event_id");

-- CreateIndex
CREATE INDEX "telegram_messages_status_next_attempt_at_idx" ON "telegram_messages"("status", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "telegram_messages_chat_id_event_id_key" ON "telegram_messages"("chat_id", "event_id");

-- CreateIndex
CREATE UNIQUE INDEX "inbound_hooks_name_key" ON "inbound_hooks"("name");

-- CreateIndex
CREATE INDEX "inbound_hook_alerts_hook_id_received_at_idx" ON "inbound_hook_alerts"("hook_id", "received_at");

-- CreateIndex
CREATE INDEX "inbound_hook_alerts_hook_id_dedup_key_idx" ON "inbound_hook_alerts"("hook_id", "dedup_key");
