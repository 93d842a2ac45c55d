-- CreateTable
CREATE TABLE "backtests" (
    "id" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "detector" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "symbol" TEXT NOT NULL,
    "interval" TEXT NOT NULL,
    "source" JSONB NOT NULL,
    "request" JSONB NOT NULL,
    "initial_balance" DECIMAL(38,18) NOT NULL,
    "processed" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    "metrics" JSONB,
    "error" TEXT,
    "created_at" BIGINT NOT NULL,
    "started_at" BIGINT,
    "finished_at" BIGINT,

    CONSTRAINT "backtests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "backtest_trades" (
    "backtest_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "side" TEXT NOT NULL,
    "quantity" DECIMAL(38,18) NOT NULL,
    "entry_time" BIGINT NOT NULL,
    "entry_price" DECIMAL(38,18) NOT NULL,
    "exit_time" BIGINT NOT NULL,
    "exit_price" DECIMAL(38,18) NOT NULL,
    "pnl" DECIMAL(38,18) NOT NULL,
    "fees" DECIMAL(38,18) NOT NULL,
    "exit_reason" TEXT NOT NULL,
    "signal_id" TEXT,

    CONSTRAINT "backtest_trades_pkey" PRIMARY KEY ("backtest_id","seq")
);

-- CreateIndex
CREATE INDEX "backtests_created_at_idx" ON "backtests"("created_at");

-- AddForeignKey
ALTER TABLE "backtest_trades" ADD CONSTRAINT "backtest_trades_backtest_id_fkey" FOREIGN KEY ("backtest_id") REFERENCES "backtests"("id") ON DELETE CASCADE ON UPDATE CASCADE;
