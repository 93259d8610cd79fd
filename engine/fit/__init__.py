"""The fit, in torch: the model of each loss, the fit that trains it and yields frozen snapshots, the
pixel-space fit beside it, and the fit service that runs both in a child process, with the typed
protocol the window speaks to it. Only this layer (and the command line above it) imports torch;
`protocol` and `child` stay light so the window can start the process without loading torch."""
