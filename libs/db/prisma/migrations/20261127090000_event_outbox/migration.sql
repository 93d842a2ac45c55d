-- CreateTable
CREATE TABLE "event_outbox" (
    "seq" BIGSERIAL NOT NULL,
    "event_id" TEXT NOT NULL,
    "envelope" TEXT NOT NULL,
    "created_at" BIGINT NOT NULL,

    CONSTRAINT "event_outbox_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "event_outbox_event_id_key" ON "event_outbox"("event_id");
