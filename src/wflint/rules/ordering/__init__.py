"""WFL80x: ordering — values whose order or identity differs between processes."""
