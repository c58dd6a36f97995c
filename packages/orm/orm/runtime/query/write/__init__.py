"""Writes: create, update, upsert, delete and the nested relation writes inside them."""
