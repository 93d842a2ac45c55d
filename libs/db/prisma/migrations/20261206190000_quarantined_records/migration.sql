-- CreateTable
CREATE TABLE "quarantined_records" (
    "id" BIGSERIAL NOT NULL,
    "app" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "record_key" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "quarantined_at" BIGINT NOT NULL,

    CONSTRAINT "quarantined_records_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "quarantined_records_app_source_idx" ON "quarantined_records"("app", "source");
