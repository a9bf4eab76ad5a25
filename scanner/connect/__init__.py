"""A client built from what is stored: the *arr's from an instance (its API key
decrypted here). The clients themselves live with what they speak to (scanner.arr;
scanner.media_servers.clients, whose stored connections media_servers.connect opens)."""
