"""The views: the distribution pane and its handles, the image pane, the readouts and the controls.
Each takes the AppState, subscribes to it, and writes to it only what the user does."""
