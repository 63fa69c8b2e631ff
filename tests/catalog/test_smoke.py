def test_certified_product_is_published_and_served(product, client):
    response = client.get(product.url)
    assert response.status_code == 200
