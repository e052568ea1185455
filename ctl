enable
disable
enable
disable
