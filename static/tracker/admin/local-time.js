'use strict';
// Times in the newsroom are typed in a conflict's local time, never in the
// browser's or the server's. Django's "Today" and "Now" read the offset on
// <body>: when the event's conflict changes, it becomes that conflict's, and
// the form's note says which zone its times are in. Django's note comparing
// the browser's clock with the server's is not shown: the server's zone is
// not the one these times are in.
document.addEventListener('DOMContentLoaded', function() {
    if (window.DateTimeShortcuts) {
        window.DateTimeShortcuts.addTimezoneWarning = function() {};
    }
    const conflict = document.querySelector('select[data-time-zones]');
    if (!conflict) {
        return;
    }
    const zones = JSON.parse(conflict.dataset.timeZones);
    conflict.addEventListener('change', function() {
        const zone = zones[conflict.value];
        if (!zone) {
            return;
        }
        document.body.dataset.adminUtcOffset = zone.offset;
        for (const note of document.querySelectorAll('[data-zone-note]')) {
            note.textContent = zone.note;
        }
    });
});
