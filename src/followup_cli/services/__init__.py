"""The decisions: each service takes a Store and `today`, returns models, and never prints."""
