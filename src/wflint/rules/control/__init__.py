"""WFL6xx: control flow — loops that grow history without bound."""
