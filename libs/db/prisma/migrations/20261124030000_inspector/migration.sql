-- CreateTable
CREATE TABLE "inspector_states" (
    "app_key" TEXT NOT NULL,
    "policies" JSONB NOT NULL,
    "policies_version" INTEGER NOT NULL,
    "peaks" JSONB NOT NULL,
    "kill_switch" JSONB NOT NULL,
    "streak_reset_at" BIGINT NOT NULL,
    "updated_at" BIGINT NOT NULL,

    CONSTRAINT "inspector_states_pkey" PRIMARY KEY ("app_key")
);

-- CreateTable
CREATE TABLE "inspector_positions" (
    "id" TEXT NOT NULL,
    "app_key" TEXT NOT NULL,
    "dedup_key" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "intent_id" TEXT,
    "decision_id" TEXT,
    "signal_id" TEXT,
    "request_id" TEXT,
    "detector_key" TEXT,
    "symbol" TEXT NOT NULL,
    "side" TEXT NOT NULL,
    "connector_type" TEXT NOT NULL,
    "market_type" TEXT NOT NULL,
    "quantity" DECIMAL(38,18) NOT NULL,
    "filled_quantity" DECIMAL(38,18) NOT NULL,
    "entry_price" DECIMAL(38,18),
    "stop_loss" DECIMAL(38,18),
    "take_profit" DECIMAL(38,18),
    "entry_client_order_id" TEXT NOT NULL,
    "sl_client_order_id" TEXT,
    "tp_client_order_id" TEXT,
    "exit_client_order_id" TEXT,
    "protection_gen" INTEGER NOT NULL,
    "exit_price" DECIMAL(38,18),
    "exit_reason" TEXT,
    "pnl" DECIMAL(38,18),
    "fees" DECIMAL(38,18) NOT NULL,
    "correlation_id" TEXT,
    "causation_id" TEXT,
    "opened_at" BIGINT,
    "closed_at" BIGINT,
    "created_at" BIGINT NOT NULL,
    "updated_at" BIGINT NOT NULL,

    CONSTRAINT "inspector_positions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inspector_fills" (
    "fill_id" TEXT NOT NULL,
    "position_id" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "client_order_id" TEXT NOT NULL,
    "price" DECIMAL(38,18) NOT NULL,
    "quantity" DECIMAL(38,18) NOT NULL,
    "fee" DECIMAL(38,18),
    "time" BIGINT NOT NULL,

    CONSTRAINT "inspector_fills_pkey" PRIMARY KEY ("fill_id")
);

-- CreateTable
CREATE TABLE "inspector_audit" (
    "id" BIGSERIAL NOT NULL,
    "app_key" TEXT NOT NULL,
    "dedup_key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "policy" TEXT,
    "reason" TEXT NOT NULL,
    "symbol" TEXT,
    "intent_id" TEXT,
    "request_id" TEXT,
    "position_id" TEXT,
    "correlation_id" TEXT,
    "numbers" JSONB NOT NULL,
    "checks" JSONB NOT NULL,
    "at" BIGINT NOT NULL,

    CONSTRAINT "inspector_audit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "inspector_positions_entry_client_order_id_key" ON "inspector_positions"("entry_client_order_id");

-- CreateIndex
CREATE INDEX "inspector_positions_app_key_status_idx" ON "inspector_positions"("app_key", "status");

-- CreateIndex
CREATE INDEX "inspector_positions_app_key_closed_at_idx" ON "inspector_positions"("app_key", "closed_at");

-- CreateIndex
CREATE UNIQUE INDEX "inspector_positions_app_key_dedup_key_key" ON "inspector_positions"("app_key", "dedup_key");

-- CreateIndex
CREATE INDEX "inspector_fills_position_id_idx" ON "inspector_fills"("position_id");

-- CreateIndex
CREATE INDEX "inspector_audit_app_key_at_idx" ON "inspector_audit"("app_key", "at");

-- CreateIndex
CREATE UNIQUE INDEX "inspector_audit_app_key_dedup_key_key" ON "inspector_audit"("app_key", "dedup_key");
