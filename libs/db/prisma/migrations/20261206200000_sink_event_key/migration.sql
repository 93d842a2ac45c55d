-- The publishing app's key, so an event rebuilt from storage (a resumed WebSocket, a replay) is the envelope that was published.
ALTER TABLE "sink_events" ADD COLUMN "key" TEXT;
