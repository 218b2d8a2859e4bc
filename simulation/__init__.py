"""D商事: master data generator, loader and sales-channel simulation (a partner of Zaiko)."""
