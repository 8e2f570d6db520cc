"""WFL2xx: randomness — random numbers and random UUIDs."""
