"""The household: the people who watch, their accounts on the media servers, what will
play for each of them and the tracks set for them."""
