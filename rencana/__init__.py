"""Rencana: perencanaan, monev dan layanan perizinan untuk pemerintah daerah."""

__version__ = "0.1.0"
