"""What the app is about, in numpy only (no torch, no Qt): mixtures, scenes and sessions and their
files, the tour, the loss registry, the fit's settings, its estimates and where theory says each
loss must end."""
