'use strict';
// A place's name offers the gazetteer's cities as the editor types; choosing
// one fills its coordinates and country, and "exact place" as its precision
// when none is chosen yet. Everything stays editable, and without this
// script the fields are simply typed.
document.addEventListener('DOMContentLoaded', function() {
    const name = document.querySelector('input[data-gazetteer]');
    if (!name) {
        return;
    }
    const form = name.form;
    const field = function(id) {
        return form.querySelector('#id_' + id);
    };
    const status = document.createElement('p');
    status.id = 'gazetteer-status';
    status.className = 'help gazetteer-status';
    status.setAttribute('role', 'status');
    const list = document.createElement('ul');
    list.className = 'gazetteer-matches';
    list.hidden = true;
    // Under the field's row (the label and the box side by side), not in it.
    const row = name.closest('.flex-container') || name;
    row.insertAdjacentElement('afterend', list);
    list.insertAdjacentElement('afterend', status);

    let asked = 0;
    let pause = null;

    const close = function() {
        list.hidden = true;
        list.replaceChildren();
    };

    const choose = function(match) {
        name.value = match.name;
        field('country_code').value = match.country_code;
        field('latitude').value = match.latitude.toFixed(5);
        field('longitude').value = match.longitude.toFixed(5);
        const precision = field('location_precision');
        if (precision && !precision.value) {
            precision.value = 'exact';
        }
        close();
        status.textContent = 'Filled from the gazetteer: ' + match.name + ', ' + match.country +
            '. Check the region and the location precision.';
        name.focus();
    };

    const show = function(matches) {
        close();
        if (!matches.length) {
            status.textContent = 'No city of that name in the gazetteer: type the coordinates.';
            return;
        }
        for (const match of matches) {
            const item = document.createElement('li');
            const button = document.createElement('button');
            button.type = 'button';
            button.className = 'gazetteer-match';
            button.textContent = match.name + ', ' + match.country + ' (' +
                match.latitude.toFixed(5) + ', ' + match.longitude.toFixed(5) + ')';
            button.addEventListener('click', function() {
                choose(match);
            });
            item.append(button);
            list.append(item);
        }
        list.hidden = false;
        status.textContent = matches.length + ' matching places in the gazetteer, listed below.';
    };

    const ask = function() {
        const text = name.value.trim();
        if (text.length < 2) {
            close();
            status.textContent = '';
            return;
        }
        const mine = ++asked;
        fetch(name.dataset.gazetteer + '?q=' + encodeURIComponent(text), {
            credentials: 'same-origin',
            headers: {'Accept': 'application/json'},
        }).then(function(response) {
            return response.ok ? response.json() : {matches: []};
        }).then(function(answer) {
            if (mine === asked) {
                show(answer.matches);
            }
        }).catch(function() {
            status.textContent = 'The gazetteer could not be reached: type the coordinates.';
        });
    };

    name.addEventListener('input', function() {
        clearTimeout(pause);
        pause = setTimeout(ask, 250);
    });
    form.addEventListener('keydown', function(event) {
        if (event.key === 'Escape' && !list.hidden) {
            close();
            name.focus();
        }
    });
});
