"""A letter on the demo campaign written through ``take_action`` as the site's form
writes it, with a solved proof of work (in a set-up Django process, in a benchmark site's
environment)."""

import uuid

import proofs


def write_letter(number: int, *, confirmed: bool = True, source: str = "newsletter"):
    """The ``number``-th writer's letter, from an address and a network of their own, by
    email. ``confirmed``: their address was confirmed in this browser before, so that it
    goes at once; else the site emails them to confirm it, as for a new writer."""
    from urgentaction.actions.services import take_action
    from urgentaction.actions.submission import Letter, Submission
    from urgentaction.campaigns.demo import DEMO_SLUG
    from urgentaction.campaigns.models import Campaign, Channel
    from urgentaction.lib.client_ip import key_of, network_of

    address = proofs.address(0, number)

    campaign = Campaign.objects.get(slug=DEMO_SLUG)
    letter = Letter(
        campaign=campaign,
        form_token=uuid.uuid4(),
        channel=Channel.EMAIL,
        subject=campaign.letter.subject,
        body=campaign.letter.render_body(list(campaign.targets.all())),
        first_name="Ada",
        last_name="Writer",
        email=f"writer{number}@example.org",
        address_line1="1 High Street",
        address_line2="",
        town="Leeds",
        postcode="LS1 1AA",
        country="United Kingdom",
        source=source,
    )
    submission = Submission(
        # Asked for from the network that sends it, as the widget asks.
        proof=proofs.solved(address),
        network=key_of(network_of(address)),
        confirmed_addresses=frozenset({letter.email_hash} if confirmed else ()),
    )
    return take_action(letter=letter, submission=submission)
