-- Issue 14: intake nodes on several machines read several clocks. The latest hour boundary any node has
-- called closed (its watermark) is kept on the lock row they all decide under, so a node whose clock is
-- a little behind stamps its next batch no earlier than it, and never into an hour already folded or
-- shipped. NULL until a node first calls an hour closed.
ALTER TABLE usage_log_lock ADD COLUMN closed_before TIMESTAMP WITH TIME ZONE;
