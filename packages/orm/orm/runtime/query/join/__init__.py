"""The join relation-load strategy: a read's whole `select` / `include` tree in one statement."""
