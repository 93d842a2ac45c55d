-- AlterTable
ALTER TABLE "orders" ADD COLUMN     "correlation_id" TEXT;
