#!/bin/sh
# .deb post-install: the udev rule for HID POS scanners (see 60-tillpoint-pos.rules).
set -e
install -m 0644 /opt/Tillpoint/resources/udev/60-tillpoint-pos.rules /etc/udev/rules.d/60-tillpoint-pos.rules
udevadm control --reload-rules 2>/dev/null || true
udevadm trigger --subsystem-match=hidraw 2>/dev/null || true
echo "Tillpoint: add the cashier's account to dialout (serial) and lp (USB printers):"
echo "  sudo usermod -aG dialout,lp <user>   (then log out and in)"
