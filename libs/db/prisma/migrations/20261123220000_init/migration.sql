-- CreateTable
CREATE TABLE "instruments" (
    "id" SERIAL NOT NULL,
    "connector_type" TEXT NOT NULL,
    "market_type" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "base_asset" TEXT NOT NULL,
    "quote_asset" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'TRADING',
    "tick_size" DECIMAL(38,18),
    "step_size" DECIMAL(38,18),
    "min_price" DECIMAL(38,18),
    "max_price" DECIMAL(38,18),
    "min_quantity" DECIMAL(38,18),
    "max_quantity" DECIMAL(38,18),
    "min_notional" DECIMAL(38,18),
    "price_precision" INTEGER,
    "quantity_precision" INTEGER,
    "max_leverage" INTEGER,
    "is_spot_trading_allowed" BOOLEAN NOT NULL DEFAULT false,
    "is_margin_trading_allowed" BOOLEAN NOT NULL DEFAULT false,
    "raw" JSONB,
    "updated_at" BIGINT NOT NULL,

    CONSTRAINT "instruments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "candles" (
    "connector_type" TEXT NOT NULL,
    "market_type" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "interval" TEXT NOT NULL,
    "open_time" BIGINT NOT NULL,
    "close_time" BIGINT NOT NULL,
    "open" DECIMAL(38,18) NOT NULL,
    "high" DECIMAL(38,18) NOT NULL,
    "low" DECIMAL(38,18) NOT NULL,
    "close" DECIMAL(38,18) NOT NULL,
    "volume" DECIMAL(38,18) NOT NULL,
    "trades" INTEGER NOT NULL DEFAULT 0,
    "closed" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "candles_pkey" PRIMARY KEY ("connector_type","market_type","symbol","interval","open_time")
);

-- CreateTable
CREATE TABLE "orders" (
    "id" TEXT NOT NULL,
    "client_order_id" TEXT NOT NULL,
    "idempotency_key" TEXT,
    "external_id" TEXT,
    "connector_type" TEXT NOT NULL,
    "market_type" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "side" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "time_in_force" TEXT,
    "price" DECIMAL(38,18),
    "stop_price" DECIMAL(38,18),
    "callback_rate" DECIMAL(38,18),
    "quantity" DECIMAL(38,18) NOT NULL,
    "quantity_executed" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "average_price" DECIMAL(38,18),
    "leverage" INTEGER,
    "reduce_only" BOOLEAN NOT NULL DEFAULT false,
    "source_type" TEXT,
    "source_key" TEXT,
    "reject_reason" TEXT,
    "account_id" TEXT NOT NULL DEFAULT 'main',
    "created_at" BIGINT NOT NULL,
    "updated_at" BIGINT NOT NULL,
    "closed_at" BIGINT,
    "raw" JSONB,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fills" (
    "id" BIGSERIAL NOT NULL,
    "order_id" TEXT NOT NULL,
    "trade_id" TEXT NOT NULL,
    "price" DECIMAL(38,18) NOT NULL,
    "quantity" DECIMAL(38,18) NOT NULL,
    "fee" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "fee_asset" TEXT,
    "is_maker" BOOLEAN NOT NULL DEFAULT false,
    "time" BIGINT NOT NULL,

    CONSTRAINT "fills_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sim_balances" (
    "id" SERIAL NOT NULL,
    "account_id" TEXT NOT NULL DEFAULT 'main',
    "market_type" TEXT NOT NULL,
    "asset" TEXT NOT NULL,
    "free" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "locked" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "updated_at" BIGINT NOT NULL,

    CONSTRAINT "sim_balances_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sim_positions" (
    "id" SERIAL NOT NULL,
    "account_id" TEXT NOT NULL DEFAULT 'main',
    "symbol" TEXT NOT NULL,
    "side" TEXT NOT NULL,
    "quantity" DECIMAL(38,18) NOT NULL,
    "entry_price" DECIMAL(38,18) NOT NULL,
    "leverage" INTEGER NOT NULL DEFAULT 1,
    "margin" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "realized_pnl" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "updated_at" BIGINT NOT NULL,

    CONSTRAINT "sim_positions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "key_values" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" BIGINT NOT NULL,

    CONSTRAINT "key_values_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "app_registrations" (
    "id" SERIAL NOT NULL,
    "app_type" TEXT NOT NULL,
    "app_key" TEXT NOT NULL,
    "base_url" TEXT NOT NULL,
    "name" TEXT,
    "version" TEXT,
    "ip" TEXT,
    "meta" JSONB NOT NULL DEFAULT '{}',
    "registered_at" BIGINT NOT NULL,
    "last_heartbeat_at" BIGINT NOT NULL,
    "updated_at" BIGINT NOT NULL,
    "unregistered_at" BIGINT,
    "unregister_reason" TEXT,

    CONSTRAINT "app_registrations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "detector_configs" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT,
    "config" JSONB NOT NULL,
    "created_at" BIGINT NOT NULL,
    "updated_at" BIGINT NOT NULL,
    "deleted_at" BIGINT,

    CONSTRAINT "detector_configs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inspector_configs" (
    "id" SERIAL NOT NULL,
    "sysname" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "created_at" BIGINT NOT NULL,
    "updated_at" BIGINT NOT NULL,
    "deleted_at" BIGINT,

    CONSTRAINT "inspector_configs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sink_events" (
    "id" BIGSERIAL NOT NULL,
    "event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "symbol" TEXT,
    "connector_type" TEXT,
    "market_type" TEXT,
    "timestamp" BIGINT NOT NULL,
    "correlation_id" TEXT,
    "causation_id" TEXT,
    "replay" BOOLEAN NOT NULL DEFAULT false,
    "payload" JSONB NOT NULL,

    CONSTRAINT "sink_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "instruments_connector_type_market_type_symbol_key" ON "instruments"("connector_type", "market_type", "symbol");

-- CreateIndex
CREATE UNIQUE INDEX "orders_client_order_id_key" ON "orders"("client_order_id");

-- CreateIndex
CREATE UNIQUE INDEX "orders_idempotency_key_key" ON "orders"("idempotency_key");

-- CreateIndex
CREATE INDEX "orders_status_idx" ON "orders"("status");

-- CreateIndex
CREATE INDEX "orders_symbol_created_at_idx" ON "orders"("symbol", "created_at");

-- CreateIndex
CREATE INDEX "orders_external_id_idx" ON "orders"("external_id");

-- CreateIndex
CREATE UNIQUE INDEX "fills_order_id_trade_id_key" ON "fills"("order_id", "trade_id");

-- CreateIndex
CREATE UNIQUE INDEX "sim_balances_account_id_market_type_asset_key" ON "sim_balances"("account_id", "market_type", "asset");

-- CreateIndex
CREATE UNIQUE INDEX "sim_positions_account_id_symbol_key" ON "sim_positions"("account_id", "symbol");

-- CreateIndex
CREATE UNIQUE INDEX "app_registrations_app_type_app_key_key" ON "app_registrations"("app_type", "app_key");

-- CreateIndex
CREATE UNIQUE INDEX "detector_configs_key_key" ON "detector_configs"("key");

-- CreateIndex
CREATE UNIQUE INDEX "inspector_configs_sysname_key" ON "inspector_configs"("sysname");

-- CreateIndex
CREATE UNIQUE INDEX "sink_events_event_id_key" ON "sink_events"("event_id");

-- CreateIndex
CREATE INDEX "sink_events_timestamp_idx" ON "sink_events"("timestamp");

-- CreateIndex
CREATE INDEX "sink_events_category_timestamp_idx" ON "sink_events"("category", "timestamp");

-- CreateIndex
CREATE INDEX "sink_events_symbol_timestamp_idx" ON "sink_events"("symbol", "timestamp");

-- AddForeignKey
ALTER TABLE "fills" ADD CONSTRAINT "fills_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
