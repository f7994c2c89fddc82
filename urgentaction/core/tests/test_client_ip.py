import pytest
from django.test import RequestFactory

from urgentaction.lib.client_ip import network_key, network_of


def key_of(address: str) -> str:
    return network_key(RequestFactory().get("/", REMOTE_ADDR=address))


def test_it_gives_addresses_in_one_ipv6_64_one_rate_limit_key():
    assert key_of("2001:db8:1:2::1") == key_of("2001:db8:1:2:ffff:ffff:ffff:ffff")


def test_it_gives_each_ipv6_64_its_own_rate_limit_key():
    assert key_of("2001:db8:1:2::1") != key_of("2001:db8:1:3::1")


def test_it_gives_each_ipv4_address_its_own_rate_limit_key():
    assert key_of("192.0.2.1") != key_of("192.0.2.2")


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("192.0.2.1", "192.0.2.1"),
        # An IPv4 client of a server listening on IPv6: not every IPv4 client in ::/64.
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("", ""),
    ],
)
def test_it_maps_an_address_to_its_network(address, network):
    assert network_of(address) == network
