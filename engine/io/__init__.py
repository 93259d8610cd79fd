"""Files out and values in: atomic writes, pictures as arrays, PNG, GIF and MP4, and the checks every
reader of user-supplied values shares. Depends on nothing else in the engine."""
