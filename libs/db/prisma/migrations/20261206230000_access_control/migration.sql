-- AlterTable
ALTER TABLE "orders" ADD COLUMN     "token_id" TEXT;

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "scopes" JSONB NOT NULL,
    "restrict" JSONB,
    "created_at" BIGINT NOT NULL,
    "created_by" TEXT,
    "expires_at" BIGINT,
    "last_used_at" BIGINT,
    "revoked_at" BIGINT,

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_records" (
    "id" BIGSERIAL NOT NULL,
    "at" BIGINT NOT NULL,
    "token_id" TEXT,
    "token_name" TEXT,
    "method" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "operation_id" TEXT,
    "path" TEXT NOT NULL,
    "target_ids" JSONB NOT NULL,
    "body_digest" TEXT,
    "status" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "correlation_id" TEXT,
    "client_address" TEXT,

    CONSTRAINT "audit_records_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_secret_hash_key" ON "api_tokens"("secret_hash");

-- CreateIndex
CREATE INDEX "audit_records_at_idx" ON "audit_records"("at");

-- CreateIndex
CREATE INDEX "audit_records_token_id_at_idx" ON "audit_records"("token_id", "at");
