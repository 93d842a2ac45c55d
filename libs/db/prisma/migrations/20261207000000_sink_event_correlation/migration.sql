-- The lineage of a trade (signal, decision, risk verdict, orders, fills) is read by correlation id.
CREATE INDEX "sink_events_correlation_id_idx" ON "sink_events"("correlation_id");
