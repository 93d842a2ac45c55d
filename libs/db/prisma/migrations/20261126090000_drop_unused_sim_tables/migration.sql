-- The simulated exchange keeps balances and positions in its state (sim_state_parts); these two
-- tables from the first migration were never written.
DROP TABLE IF EXISTS "sim_balances";
DROP TABLE IF EXISTS "sim_positions";
