-- CreateTable
CREATE TABLE "sim_state_parts" (
    "exchange_key" TEXT NOT NULL,
    "part" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" BIGINT NOT NULL,

    CONSTRAINT "sim_state_parts_pkey" PRIMARY KEY ("exchange_key","part")
);
