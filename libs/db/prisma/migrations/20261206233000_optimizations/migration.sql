-- CreateTable
CREATE TABLE "optimizations" (
    "id" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "detector" TEXT NOT NULL,
    "symbols" JSONB NOT NULL,
    "interval" TEXT NOT NULL,
    "objective" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "done" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    "best" JSONB,
    "result" JSONB,
    "error" TEXT,
    "created_at" BIGINT NOT NULL,
    "started_at" BIGINT,
    "finished_at" BIGINT,

    CONSTRAINT "optimizations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "optimization_trials" (
    "optimization_id" TEXT NOT NULL,
    "fold" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "params" JSONB NOT NULL,
    "score" JSONB NOT NULL,
    "stats" JSONB,
    "error" TEXT,
    "created_at" BIGINT NOT NULL,

    CONSTRAINT "optimization_trials_pkey" PRIMARY KEY ("optimization_id","fold","role","seq")
);

-- CreateIndex
CREATE INDEX "optimizations_created_at_idx" ON "optimizations"("created_at");

-- AddForeignKey
ALTER TABLE "optimization_trials" ADD CONSTRAINT "optimization_trials_optimization_id_fkey" FOREIGN KEY ("optimization_id") REFERENCES "optimizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
