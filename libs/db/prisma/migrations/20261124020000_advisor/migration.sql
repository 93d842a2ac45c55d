-- CreateTable
CREATE TABLE "advisor_decisions" (
    "id" BIGSERIAL NOT NULL,
    "advisor_key" TEXT NOT NULL,
    "dedup_key" TEXT NOT NULL,
    "decision_id" TEXT NOT NULL,
    "signal_id" TEXT,
    "request_id" TEXT,
    "symbol" TEXT NOT NULL,
    "direction" TEXT,
    "outcome" TEXT NOT NULL,
    "approved" BOOLEAN NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "reasoning" TEXT NOT NULL,
    "stages" JSONB NOT NULL,
    "context" JSONB NOT NULL,
    "intent" JSONB,
    "correlation_id" TEXT,
    "causation_id" TEXT,
    "decided_at" BIGINT NOT NULL,
    "published_at" BIGINT,

    CONSTRAINT "advisor_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "advisor_pipeline_configs" (
    "advisor_key" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "version" INTEGER NOT NULL,
    "updated_at" BIGINT NOT NULL,

    CONSTRAINT "advisor_pipeline_configs_pkey" PRIMARY KEY ("advisor_key")
);

-- CreateIndex
CREATE UNIQUE INDEX "advisor_decisions_decision_id_key" ON "advisor_decisions"("decision_id");

-- CreateIndex
CREATE INDEX "advisor_decisions_advisor_key_decided_at_idx" ON "advisor_decisions"("advisor_key", "decided_at");

-- CreateIndex
CREATE INDEX "advisor_decisions_advisor_key_symbol_decided_at_idx" ON "advisor_decisions"("advisor_key", "symbol", "decided_at");

-- CreateIndex
CREATE INDEX "advisor_decisions_advisor_key_outcome_decided_at_idx" ON "advisor_decisions"("advisor_key", "outcome", "decided_at");

-- CreateIndex
CREATE UNIQUE INDEX "advisor_decisions_advisor_key_dedup_key_key" ON "advisor_decisions"("advisor_key", "dedup_key");
