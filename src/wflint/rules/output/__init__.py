"""WFL5xx: output — logging and printing that repeats on every replay."""
